// getContextAttributeNames: who may call it (test/support/contexts.ts, readSecurity).
import { readSecurity } from '../../../test/support/contexts.js';

readSecurity('getContextAttributeNames', 'GET', '/context-attributes');
