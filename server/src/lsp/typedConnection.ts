// The protocol's specs (protocol.ts) as vscode-jsonrpc message types on the server side: a
// handler's params and result are checked against the spec, and an engine failure is answered
// as a JSON-RPC error whose data carries its code (EngineErrorData), so no client parses text.
import { NotificationType, RequestType, ResponseError } from 'vscode-languageserver/node';
import {
  ENGINE_REQUEST_FAILED, EngineError, type EngineErrorData, type NotificationSpec, type RequestSpec,
} from '../protocol';
import { maskDeep, maskSecrets } from '../service/secrets';

/** What the wiring needs of a connection (the real one, or a test's). */
export interface TypedConnection {
  onRequest<P, R, E>(type: RequestType<P, R, E>, handler: (params: P) => R | Promise<R> | ResponseError<E> | Promise<ResponseError<E>>): unknown;
  sendNotification<P>(type: NotificationType<P>, params: P): unknown;
}

/** The error answered for a failed engine request. */
export function engineResponseError(err: unknown): ResponseError<EngineErrorData> {
  if (err instanceof EngineError) return new ResponseError(ENGINE_REQUEST_FAILED, maskSecrets(err.message), { code: err.code, diagnostics: maskDeep(err.diagnostics) });
  return new ResponseError(ENGINE_REQUEST_FAILED, maskSecrets(err instanceof Error ? err.message : String(err)), { code: 'failed' });
}

export function onTypedRequest<P, R>(conn: TypedConnection, spec: RequestSpec<P, R>, handler: (params: P) => R | Promise<R>): void {
  conn.onRequest(new RequestType<P, R, EngineErrorData>(spec.method), async (params: P) => {
    try {
      // What the engine answers is shown in the panel's webview: through the one mask.
      return maskDeep(await handler(params));
    } catch (err) {
      return engineResponseError(err);
    }
  });
}

export function sendTypedNotification<P>(conn: TypedConnection, spec: NotificationSpec<P>, params: P): void {
  void conn.sendNotification(new NotificationType<P>(spec.method), maskDeep(params));
}
