/**
 * Attribute names are user data, and "__proto__" is a legal DynamoDB attribute name. Assigning
 * `obj[name] = value` with that name would replace the object's prototype instead of adding an
 * attribute, so every write of a user-named key goes through here.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
