export type { Facts, ParsedCondition, Test, VisitorState } from './condition.js';
export { parseCondition } from './condition.js';
export {
  installPersonalization,
  type PersonalizationHost,
  type PersonalizationOptions,
  type Personalizer,
} from './installPersonalization.js';
export { CANDIDATES, PREHIDE_CSS, prehide } from './prehide.js';
export type { RecordStorage } from './visitorRecord.js';
