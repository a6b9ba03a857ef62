// getContextAttributeValues: who may call it (test/support/contexts.ts, readSecurity).
import { readSecurity } from '../../../test/support/contexts.js';

readSecurity('getContextAttributeValues', 'GET', '/context-attributes/country');
