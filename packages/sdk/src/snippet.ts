// The inline loader snippet: the queueing stub, plus personalization's pre-first-paint hiding.
import { prehide } from './personalize/prehide.js';
import { installStub } from './snippetQueue.js';

installStub(window);
prehide();
