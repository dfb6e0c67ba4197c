import { useEffect, useState } from 'react';
import { dynamo, RequestError } from '../../app/client.ts';
import { openSetting } from '../../app/navigation.ts';
import type { TableRef } from '../../app/selection.ts';
import { TypedConfirmDialog } from '../../shared/TypedConfirmDialog.tsx';
import type { TableDescription } from '../items/tableSchema.ts';

/** DynamoDB's refusal to delete a protected table (its ValidationException says "Disable deletion protection first"). */
function isProtectedRefusal(error: unknown): boolean {
  return error instanceof RequestError && /protected against deletion/.test(error.message);
}

/**
 * Deleting a table cannot be undone, so the user types its name to confirm. A table with deletion
 * protection cannot be deleted at all: the dialog says so up front and links to the switch.
 */
export function DeleteTableDialog({ table, onClose, onDeleted }: { table: TableRef; onClose(): void; onDeleted(): void }) {
  const [isProtected, setProtected] = useState(false);
  useEffect(() => {
    let stopped = false;
    dynamo<{ Table: TableDescription }>(table.connection.id, 'DescribeTable', { TableName: table.tableName }, table.namespace).then(
      ({ Table }) => !stopped && setProtected(Table.DeletionProtectionEnabled === true),
      // DeleteTable itself will say what is wrong with the table.
      () => undefined,
    );
    return () => {
      stopped = true;
    };
  }, [table]);

  const disableProtection = (
    <span className="dialog-help">
      <button
        type="button"
        className="link-button"
        onClick={() => {
          onClose();
          openSetting('deletion-protection');
        }}
      >
        Disable deletion protection
      </button>{' '}
      in the table's settings first.
    </span>
  );

  return (
    <TypedConfirmDialog
      formId="delete-table"
      title={`Delete table ${table.tableName}?`}
      name={table.tableName}
      actionLabel="Delete table"
      action={() => dynamo(table.connection.id, 'DeleteTable', { TableName: table.tableName }, table.namespace)}
      onClose={onClose}
      onDone={onDeleted}
      errorHelp={(error) => (isProtectedRefusal(error) && !isProtected ? disableProtection : null)}
    >
      This deletes the table <strong>{table.tableName}</strong>, all of its items and its indexes. It cannot be undone.
      {isProtected ? (
        <>
          {' '}
          <strong>Deletion protection is on</strong>, so DynamoDB will refuse.
        </>
      ) : null}
      {isProtected ? disableProtection : null}
    </TypedConfirmDialog>
  );
}
