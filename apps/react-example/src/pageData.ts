import type { ScoreLike } from '@leadlight/react';
import type { PagePath } from './PricingApp.js';

/** What the server hands the client bundle, as JSON in `<script id="page-data">`. */
export interface PageData {
  siteKey: string;
  endpoint: string;
  path: PagePath;
  /** The score the server rendered with (`fetchBootstrap`); null for a visitor it did not know. */
  bootstrap: ScoreLike | null;
}
