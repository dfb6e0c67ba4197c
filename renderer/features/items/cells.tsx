import { memo } from 'react';
import { preview, sizeOf, typeOf, type AttributeValue } from '../../shared/attributeValues.ts';

const TYPE_LABEL: Record<string, string> = { SS: 'string set', NS: 'number set', BS: 'binary set', L: 'list', M: 'map' };

/** One grid cell: numbers right-aligned, collections collapsed to a counted preview, binary as base64. */
export const ValueCell = memo(function ValueCell({ value }: { value: AttributeValue | undefined }) {
  if (!value) return <span className="cell-missing" aria-label="no value" />;
  const type = typeOf(value)!;
  const size = sizeOf(value);
  const text = preview(value, 120);
  if (size !== undefined) {
    return (
      <span className={`cell cell-collection t-${type}`} title={text}>
        <span className="cell-badge" aria-label={`${TYPE_LABEL[type]} of ${size}`}>
          {type} {size}
        </span>
        <span className="cell-preview">{text}</span>
      </span>
    );
  }
  return (
    <span className={`cell t-${type}`} title={text.length > 40 ? text : undefined}>
      {type === 'B' ? <span className="cell-badge">B</span> : null}
      {type === 'S' ? <StringWithEdges text={text} /> : text}
    </span>
  );
});

const EDGE_SPACE = /^(\s*)([\s\S]*?)(\s*)$/;

/**
 * A string whose leading or trailing whitespace is marked, so "abc " and "abc" do not look alike
 * (a filter or key lookup on one misses the other).
 */
function StringWithEdges({ text }: { text: string }) {
  if (text.length > 200 || !/^\s|\s$/.test(text)) return <>{text}</>;
  const [, before = '', middle = '', after = ''] = EDGE_SPACE.exec(text) ?? [];
  const edge = (space: string, where: string) =>
    space ? (
      <span className="cell-space" title={`${space.length} ${where} whitespace ${space.length === 1 ? 'character' : 'characters'}`}>
        {space}
      </span>
    ) : null;
  return (
    <>
      {edge(before, 'leading')}
      {middle}
      {edge(after, 'trailing')}
    </>
  );
}
