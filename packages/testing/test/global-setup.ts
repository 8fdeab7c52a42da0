// The vitest helper's once-per-run mocks, used by this package's own tests.
import { mockGlobalSetup } from "../src/vitest.js";
import { shopFile } from "./fixtures/shop.js";

export default mockGlobalSetup({ shop: shopFile["3.1"], "shop-3.0": shopFile["3.0"] });
