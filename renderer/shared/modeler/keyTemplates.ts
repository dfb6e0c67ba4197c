/**
 * Key templates: `USER#{userId}`, `ORDER#{orderDate}#{orderId}`. Text outside braces is literal;
 * `{name}` is a placeholder filled from an entity's attributes or an access pattern's parameters.
 * Pure (no DOM, no Node): the backend uses it too.
 */

/** A failure in a model or in the values given to it, in words for the person editing it. */
export class ModelError extends Error {
  override name = 'ModelError';
}

export type TemplatePart = { literal: string } | { placeholder: string };

/** Longest template accepted: a key attribute holds at most 2 KB, and a template is shorter still. */
const MAX_TEMPLATE_LENGTH = 1024;
const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** Splits a template into literal text and placeholders; two placeholders must be separated by text. */
export function parseTemplate(template: string): TemplatePart[] {
  if (template.length > MAX_TEMPLATE_LENGTH) throw new ModelError(`A key template is at most ${MAX_TEMPLATE_LENGTH} characters long`);
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{', at);
    const close = template.indexOf('}', at);
    if (close >= 0 && (open < 0 || close < open)) throw new ModelError(`"${template}" has a "}" without its "{"`);
    if (open < 0) {
      parts.push({ literal: template.slice(at) });
      break;
    }
    if (open > at) parts.push({ literal: template.slice(at, open) });
    const end = template.indexOf('}', open);
    if (end < 0) throw new ModelError(`"${template}" has a "{" without its "}"`);
    const name = template.slice(open + 1, end);
    if (!PLACEHOLDER_NAME.test(name)) throw new ModelError(`"{${name}}" in "${template}" is not a placeholder name (letters, digits, _ . -, starting with a letter)`);
    // Two placeholders side by side could not be told apart when reading a key back.
    if (parts.length > 0 && 'placeholder' in parts[parts.length - 1]!) throw new ModelError(`"${template}" needs text between {${(parts[parts.length - 1] as { placeholder: string }).placeholder}} and {${name}}`);
    parts.push({ placeholder: name });
    at = end + 1;
  }
  return parts;
}

/** The placeholders of a template, in order. */
export function templatePlaceholders(template: string): string[] {
  return parseTemplate(template).flatMap((part) => ('placeholder' in part ? [part.placeholder] : []));
}

/** The literal text before the first placeholder (`USER#` of `USER#{userId}`): what marks an entity's keys. */
export function templatePrefix(template: string): string {
  const first = parseTemplate(template)[0];
  return first && 'literal' in first ? first.literal : '';
}

/** Fills a template; every placeholder needs a value. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return parseTemplate(template)
    .map((part) => {
      if ('literal' in part) return part.literal;
      const value = values[part.placeholder];
      if (value === undefined) throw new ModelError(`No value for {${part.placeholder}} in "${template}"`);
      return value;
    })
    .join('');
}

/**
 * Fills a template as far as values are given: the literal text up to the first placeholder without
 * a value. A key condition `begins_with(SK, "ORDER#{orderDate}")` without orderDate reads every order.
 */
export function renderTemplatePrefix(template: string, values: Readonly<Record<string, string>>): { text: string; complete: boolean } {
  let text = '';
  for (const part of parseTemplate(template)) {
    if ('literal' in part) text += part.literal;
    else if (values[part.placeholder] === undefined) return { text, complete: false };
    else text += values[part.placeholder];
  }
  return { text, complete: true };
}

/**
 * Reads the placeholders' values back out of a key, or undefined when the key does not fit the
 * template. Each placeholder ends at the first occurrence of the literal after it (the last one
 * takes the rest), so matching is one pass with indexOf: no backtracking.
 */
export function matchTemplate(template: string, key: string): Record<string, string> | undefined {
  const parts = parseTemplate(template);
  const values: Record<string, string> = {};
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if ('literal' in part) {
      if (!key.startsWith(part.literal, at)) return undefined;
      at += part.literal.length;
      continue;
    }
    const next = parts[i + 1];
    const end = next && 'literal' in next ? key.indexOf(next.literal, at) : key.length;
    if (end < 0) return undefined;
    values[part.placeholder] = key.slice(at, end);
    at = end;
  }
  return at === key.length ? values : undefined;
}
