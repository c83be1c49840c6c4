// The very rule the admin API checks a source's target with (core, plain TypeScript without Node
// dependencies), so the form refuses exactly what the API would — before sending.
export { sourceTargetProblem } from '../../../../core/src/sources/source-target.js';
