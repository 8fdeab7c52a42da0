import { describe, expect, it } from "vitest";
import { bolt11PaymentHash } from "../src/index.js";

// BOLT #11's own example ("please consider supporting this project") and a signed mainnet invoice.
const SPEC_VECTOR =
  "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaztrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspfj9srp";
const SIGNED =
  "lnbc2500n1pn04jcqpp5dc8ddxehr2nra5tvsrdeu9nry4zaq3mv38ve4muwc5h623v4tu3ssp5qw8hgetpjwf96nhgvn22ewxdac2d25uwc5hgqncupf05lq5l2azsdpdfaexgetjyq3ngv3hxyazqarhdusxvmrpwss8w6rfw3jhxxqrrsscqzys9qypqsqu7p58pk9472pvhns0xmc4havanvw257zedkhk5sssz7f4ew9tc0y5h474cewccsmadlu2pscs6pdugnt30tf79s6565ap9khu9teqwgp7ajfz4";

describe("bolt11PaymentHash", () => {
  it("reads the payment hash", () => {
    expect(bolt11PaymentHash(SPEC_VECTOR)).toBe("0001020304050607080900010203040506070809000102030405060708090102");
    expect(bolt11PaymentHash(`lightning:${SIGNED.toUpperCase()}`)).toBe("6e0ed69b371aa63ed16c80db9e16632545d0476c89d99aef8ec52fa545955f23");
  });

  it("returns undefined for anything that is not a valid invoice", () => {
    expect(bolt11PaymentHash(SPEC_VECTOR.slice(0, -1) + "q")).toBeUndefined(); // checksum
    expect(bolt11PaymentHash("lnbc1")).toBeUndefined();
    expect(bolt11PaymentHash("not an invoice")).toBeUndefined();
  });
});
