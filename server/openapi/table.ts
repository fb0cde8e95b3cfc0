// The OpenAPI document is written from tables of routes, one entry per
// route the app serves (method + Express path). Adding a route to the app
// means adding one entry to a table in this folder; the OpenAPI test fails
// for a route the tables lack.
import type { z } from 'zod';
import { errorBodySchema } from '../contract-answers.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Answer {
  description: string;
  /** The JSON body; null: no body (204). */
  schema: z.ZodType | null;
  headers?: Record<string, string>;
}

export interface RouteEntry {
  method: Method;
  /** As the app routes it, e.g. /api/services/:id */
  path: string;
  /** Unique, e.g. getService. */
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters' descriptions (each :param is a required string). */
  params?: Record<string, string | { description: string; enum: string[] }>;
  /** Query parameters: each field of the object is one. */
  query?: z.ZodObject;
  /** The JSON request body. */
  body?: z.ZodType;
  bodyRequired?: boolean;
  /** The body's media types; default application/json. */
  bodyTypes?: string[];
  /** Who may call it: the admin token when the server has one (default), an API token, or anyone. */
  auth?: 'admin' | 'api-token' | 'none';
  responses: Record<string, Answer>;
}

const ERROR_TEXT: Record<number, string> = {
  400: 'the request is not valid (`invalid-request`, `invalid-json`, `invalid-filter`, `invalid-scenario`); `details` lists each problem',
  404: 'nothing with that id or name (`not-found`)',
  409: 'the change conflicts with the current state (`invalid-transition`, `conflict`)',
  413: 'the request body is over 5 MB (`payload-too-large`)',
};

/** The error envelope for these statuses, with their usual meaning or the given one. */
export function errors(...statuses: (number | [number, string])[]): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  for (const s of statuses) {
    const [status, text] = Array.isArray(s) ? s : [s, ERROR_TEXT[s] ?? 'an error'];
    out[status] = { description: text, schema: errorBodySchema };
  }
  return out;
}

export const ok = (schema: z.ZodType | null, description = 'done'): Record<string, Answer> => ({ 200: { description, schema } });
