// CommonJS users get the same types through require (compiled under node16 only).
import uma = require("@satbind/uma-auth");
import lexe = require("@satbind/lexe");
import deezy = require("@satbind/deezy");
import utexo = require("@satbind/utexo");
import utexoV1 = require("@satbind/utexo/v1");
import testing = require("@satbind/testing");
import lexeSpec = require("@satbind/lexe/spec");
import lexeValidate = require("@satbind/lexe/validate");

export const clients = [
  uma.createUmaAuthClient({ vaspHost: "vasp.example", token: "jwt" }),
  lexe.createLexeClient({}),
  lexe.createLexeClient({ validateResponses: lexeValidate.responseValidator }),
  deezy.createDeezyClient({ network: "testnet" }),
  utexo.createUtexoClient({ version: "v2", network: "local", keys: { xpubVan: "a", xpubCol: "b", masterFingerprint: "c" } }),
];
export const sameErrorClass: boolean = lexe.AmbiguousOutcomeError === deezy.AmbiguousOutcomeError;
export type Withdrawal = utexoV1.GetWithdrawalResponse;
// @ts-expect-error a v1 client has no v2 routes
void utexo.createUtexoClient({ version: "v1", network: "testnet", keys: { xpubVan: "a", xpubCol: "b", masterFingerprint: "c" } }).GET("/lightning/balance");
export const mock = testing.createMock(lexeSpec.spec).then((m) => m.on("node_info"));
