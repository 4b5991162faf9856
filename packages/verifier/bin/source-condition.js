// Module hook: workspace packages (@ekyc/*) resolve to their TypeScript sources (`source` export).
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...new Set([...(context.conditions ?? []), 'source'])] });
}
