/**
 * Messages between the editor and the lang worker (parse as you type). Type
 * only, shared by the page and the worker: no globals of either.
 */
import type { ParseError } from '../lang';

export interface ParseRequest {
  /** Increases with every request: a reply to an older one is stale and dropped. */
  id: number;
  text: string;
  kernel: string;
}

export interface ParseReply {
  id: number;
  /** Empty when the text parses. */
  errors: ParseError[];
}
