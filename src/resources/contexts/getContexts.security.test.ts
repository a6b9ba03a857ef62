// getContexts: who may call it (test/support/contexts.ts, readSecurity).
import { readSecurity } from '../../../test/support/contexts.js';

readSecurity('getContexts', 'GET', '/contexts/user/sandy');
