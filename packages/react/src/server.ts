export {
  type FetchBootstrapOptions,
  fetchBootstrap,
  readAnonymousId,
  serializeBootstrap,
} from './fetchBootstrap.js';
export type { ScoreLike } from './scoreLike.js';
