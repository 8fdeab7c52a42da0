// @satbind/testing with a provider's spec: the mock knows the provider's operations, statuses and
// bodies from the spec entry point alone (here Lexe's and UTEXO v2's).
import { createMock, MockBodyError } from "@satbind/testing";
import { spec as lexeSpec } from "@satbind/lexe/spec";
import { spec as utexoV2Spec } from "@satbind/utexo/v2/spec";
import { createLexeClient, type Payment } from "@satbind/lexe";

export async function scripted(payment: Payment): Promise<string> {
  const mock = await createMock(lexeSpec, { port: 0 });
  mock.on("get_payment").replyOnce(200, { ...payment, status: "pending" }).replyOnce(200, payment);
  mock.on("pay_invoice").faultOnce({ kind: "reset-after-body" });
  mock.on("create_invoice").reply(({ body }) => ({ status: 400, body: { code: 7, msg: `no ${body.amount ?? "amount"}`, data: null, sensitive: false } }));
  void createLexeClient({ baseUrl: mock.url });
  const sent: number = mock.calls("pay_invoice").length;
  void sent;
  // @ts-expect-error not a Lexe operation
  mock.on("pay_invoce");
  // @ts-expect-error get_payment does not document 201
  mock.on("get_payment").reply(201, payment);
  // @ts-expect-error a payment's status is pending, completed or failed
  mock.on("get_payment").reply(200, { ...payment, status: "done" });
  const utexo = await createMock(utexoV2Spec);
  utexo.on("getLightningSendRequest").replyOnce(200, null);
  await Promise.all([mock.close(), utexo.close()]);
  return mock.url;
}

export const isBodyError = (error: unknown): boolean => error instanceof MockBodyError && error.pointer.startsWith("/");
