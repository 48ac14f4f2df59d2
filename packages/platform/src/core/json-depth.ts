// How deeply a parsed JSON value nests, measured without recursion: a body nested thousands of
// levels deep must get a clear 400 from its API family, not overflow a stack here, in a schema
// or in the database's JSON parser (which answers "stack depth limit exceeded").

/** The deepest JSON nesting the platform stores (objects and arrays count one level each). */
export const MAX_JSON_DEPTH = 64;

/** True when `value` nests objects or arrays deeper than `max` levels. */
export function exceedsJsonDepth(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
