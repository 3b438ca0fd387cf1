import { stringifyEntities } from 'stringify-entities';

/**
 * The one place text becomes HTML or XML outside a tree. Pages and reports built as hast trees
 * go through hast-util-to-html, which escapes with the same library (stringify-entities); what is
 * written by string escapes through `escapeHtml`, in text and in attribute values alike.
 */

/** Text and attribute values: `&`, `<`, `>`, `"`, `'` and `` ` `` become character references. */
export const escapeHtml = (s: string): string => stringifyEntities(s, { escapeOnly: true, useNamedReferences: true });

/** XML text and attributes: the same escaping, after dropping the control characters XML 1.0 forbids. */
export const escapeXml = (s: string): string => escapeHtml(s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, ''));

/** JSON inside `<script>`: `<` escaped so no string can close the element or open a comment. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
