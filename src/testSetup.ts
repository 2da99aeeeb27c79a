/**
 * Every test file's setup. Testing Library's findBy…/waitFor give up after 1 s by default: a speed assumption that a
 * loaded 2-core CI machine breaks (a runs list read from fake IndexedDB took longer there). A wait is for a state, so
 * a long limit only delays a real failure, as the e2e config's expect timeout does.
 */
import { configure } from '@testing-library/dom';

configure({ asyncUtilTimeout: 60_000 });
