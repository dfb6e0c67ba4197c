/**
 * Legacy (pre-expression) request parameters: Expected + ConditionalOperator, AttributeUpdates,
 * KeyConditions, QueryFilter/ScanFilter and AttributesToGet, compiled to the same forms as
 * expressions.
 */
import type { CompiledExpressions } from './index.ts';

/** Compiles the legacy parameters of a request (the whole request body). */
export function compileLegacy(input: Record<string, unknown>): CompiledExpressions {
  void input;
  return {};
}
