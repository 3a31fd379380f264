/**
 * Parses the editor's text off the main thread, so a megabyte of text or deep
 * nesting never blocks typing. Only the errors go back: the instance itself is
 * built again by the engine worker on Run (a structured clone of it would cost
 * more than the parse).
 */
import { parseScenario } from '../lang';
import { parseKernel } from '../scenarios/catalog';
import type { ParseReply, ParseRequest } from './langProtocol';

self.onmessage = (e: MessageEvent<ParseRequest>) => {
  const { id, text, kernel } = e.data;
  let reply: ParseReply;
  try {
    const r = parseScenario(text, { kernel: parseKernel(kernel) });
    reply = { id, errors: r.ok ? [] : r.errors };
  } catch (err) {
    // parseScenario never throws by contract; if it does, say so where the user looks.
    reply = { id, errors: [{ line: 1, col: 1, message: `internal error: ${String(err)}` }] };
  }
  self.postMessage(reply);
};
