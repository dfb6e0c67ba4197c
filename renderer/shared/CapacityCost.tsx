import { capacityTexts, PRICES_USED, type CapacityUnits } from './capacityCost.ts';

/**
 * What a run cost, as the endpoint reported it: read and write units, and the on-demand price of a
 * million runs like it (an estimate; the prices used are in its tooltip).
 */
export function CapacityCost({ units, label = 'Consumed capacity' }: { units: CapacityUnits; label?: string }) {
  const texts = capacityTexts(units);
  return (
    <span className="capacity-cost" role="note" aria-label={label} data-read={units.read} data-write={units.write} title={PRICES_USED}>
      <span>{texts.read}</span>
      <span>{texts.write}</span>
      <span className="capacity-price">{texts.price}</span>
    </span>
  );
}
