// getContextInstances: who may call it (test/support/contexts.ts, readSecurity).
import { readSecurity } from '../../../test/support/contexts.js';

readSecurity('getContextInstances', 'GET', '/context-instances/c2FuZHk');
