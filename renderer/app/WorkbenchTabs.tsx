import { Icon } from '../shared/icons.tsx';
import { placeKey, placeLabel, type Place } from './openTabs.ts';

/** The strip of open tables and builders; each can be brought to the front or closed. */
export function WorkbenchTabs({ tabs, active, onFocus, onClose }: { tabs: Place[]; active: number; onFocus(index: number): void; onClose(index: number): void }) {
  if (tabs.length === 0) return null;
  return (
    <div className="workbench-tabs" role="tablist" aria-label="Open tabs">
      {tabs.map((place, i) => {
        const { title, full } = placeLabel(place);
        return (
          <div key={placeKey(place)} className={`workbench-tab${i === active ? ' on' : ''}`}>
            <button type="button" role="tab" aria-selected={i === active} aria-label={full} title={full} onClick={() => onFocus(i)}>
              <Icon name={place.kind === 'table' ? 'table' : 'command'} size={12} />
              <span>{title}</span>
            </button>
            <button type="button" className="workbench-tab-close" aria-label={`Close ${full}`} onClick={() => onClose(i)}>
              <Icon name="close" size={11} />
            </button>
          </div>
        );
      })}
    </div>
  );
}
