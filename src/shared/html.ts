/**
 * The one place text becomes HTML or XML. Everything labdeck writes by string (pages, reports,
 * outlines) escapes through these; trees go through hast-util-to-html.
 */

/** Text and attribute values (`&`, `<`, `>`, `"`). */
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Element text only (`&`, `<`, `>`): code blocks keep their quotes as typed. */
export const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** XML text and attributes; control characters XML 1.0 forbids are dropped. */
export const escapeXml = (s: string): string => escapeHtml(s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, ''));

/** JSON inside `<script>`: `<` escaped so no string can close the element. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
