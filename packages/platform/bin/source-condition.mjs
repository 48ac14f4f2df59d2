// Module resolution hook used inside the repository only: resolves the workspace packages
// (@cardport/*) to their TypeScript sources through the `cardport-source` export condition,
// as `node --conditions=cardport-source` would.
export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes('cardport-source')
    ? context.conditions
    : [...context.conditions, 'cardport-source'];
  return next(specifier, { ...context, conditions });
}
