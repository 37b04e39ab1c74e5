import { init, type LeadlightOptions } from '@leadlight/sdk';
import { createContext, createElement, type ReactNode, useEffect, useRef, useState } from 'react';
import type { ScoreLike } from './scoreLike.js';
import { createScoreStore, type ScoreSource, type ScoreStore } from './scoreStore.js';

/** The provider's store; outside a provider, a store with no score. */
export const ScoreContext = createContext<ScoreStore>(createScoreStore());

/** Props of `LeadlightProvider`: the SDK's `init` options, or a client already made by `init`. */
export type LeadlightProviderProps = (
  | { options: LeadlightOptions; client?: undefined }
  | { client: ScoreSource; options?: undefined }
) & {
  /** The visitor's score as the server computed it (`fetchBootstrap`): the first render uses it, so hydration matches. */
  bootstrap?: ScoreLike | undefined;
  children?: ReactNode;
};

/**
 * Gives its tree the visitor's score: the `bootstrap` first (on the server and in the hydrating render),
 * then whatever the SDK reports. With `options` it starts the SDK after mounting, once per page.
 */
export function LeadlightProvider(props: LeadlightProviderProps): ReactNode {
  const [store] = useState(() => createScoreStore(props.bootstrap));
  // Only the first render's options start the SDK; a ref survives strict mode's unmount and remount.
  const first = useRef(props.options);
  const started = useRef<ScoreSource | undefined>(undefined);
  const { client } = props;
  useEffect(() => {
    // Effects never run on the server: `init` (which needs `window`) is only called in the browser.
    if (!client && first.current) started.current ??= init(first.current);
    const sdk = client ?? started.current;
    return sdk ? store.follow(sdk) : undefined;
  }, [client, store]);
  return createElement(ScoreContext.Provider, { value: store }, props.children);
}
