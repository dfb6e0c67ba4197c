import { Icon } from '../shared/icons.tsx';
import { placeKey, placeLabel, type Place } from './openTabs.ts';

interface WorkbenchTabsProps {
  tabs: Place[];
  active: number;
  /** Positions of the two tabs shown side by side, or null. */
  split: [number, number] | null;
  onFocus(index: number): void;
  onClose(index: number): void;
  onShowBeside(index: number): void;
  onUnsplit(): void;
  /** Opens a further tab on the table in front (absent when a builder is in front). */
  onOpenAnother?: () => void;
}

/**
 * The strip of open tables and builders. Each can be brought to the front, shown beside the one in
 * front, or closed; a table can have several tabs (two queries side by side).
 */
export function WorkbenchTabs({ tabs, active, split, onFocus, onClose, onShowBeside, onUnsplit, onOpenAnother }: WorkbenchTabsProps) {
  if (tabs.length === 0) return null;
  return (
    <div className="workbench-tabs-bar">
      <div className="workbench-tabs" role="tablist" aria-label="Open tabs">
        {tabs.map((place, i) => {
          const { title, full } = placeLabel(place);
          const shown = i === active || split?.includes(i);
          return (
            <div key={placeKey(place)} className={`workbench-tab${i === active ? ' on' : shown ? ' beside' : ''}`}>
              <button type="button" role="tab" aria-selected={i === active} aria-label={full} title={full} onClick={() => onFocus(i)}>
                <Icon name={place.kind === 'table' ? 'table' : 'command'} size={12} />
                <span>{title}</span>
              </button>
              {shown ? null : (
                <button type="button" className="workbench-tab-action" aria-label={`Show ${full} beside`} title="Show beside the tab in front" onClick={() => onShowBeside(i)}>
                  <Icon name="columns" size={11} />
                </button>
              )}
              <button type="button" className="workbench-tab-close" aria-label={`Close ${full}`} onClick={() => onClose(i)}>
                <Icon name="close" size={11} />
              </button>
            </div>
          );
        })}
      </div>
      <div className="workbench-tabs-actions">
        {onOpenAnother ? (
          <button type="button" className="icon-button" aria-label="Open another tab on this table" title="Open another tab on this table" onClick={onOpenAnother}>
            <Icon name="plus" size={13} />
          </button>
        ) : null}
        {split ? (
          <button type="button" className="icon-button" aria-label="Stop showing side by side" title="Stop showing side by side" onClick={onUnsplit}>
            <Icon name="close" size={13} />
          </button>
        ) : null}
      </div>
    </div>
  );
}
