import type { TableRef } from '../../app/selection.ts';
import { dynamo } from '../../app/client.ts';
import { TypedConfirmDialog } from '../../shared/TypedConfirmDialog.tsx';

/** Deleting a table cannot be undone, so the user types its name to confirm. */
export function DeleteTableDialog({ table, onClose, onDeleted }: { table: TableRef; onClose(): void; onDeleted(): void }) {
  return (
    <TypedConfirmDialog
      formId="delete-table"
      title={`Delete table ${table.tableName}?`}
      name={table.tableName}
      actionLabel="Delete table"
      action={() => dynamo(table.connection.id, 'DeleteTable', { TableName: table.tableName }, table.namespace)}
      onClose={onClose}
      onDone={onDeleted}
    >
      This deletes the table <strong>{table.tableName}</strong>, all of its items and its indexes. It cannot be undone.
    </TypedConfirmDialog>
  );
}
