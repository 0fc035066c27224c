import { z } from 'zod';

/** C0 controls and DEL: never part of a name, an identifier or a URI; PostgreSQL text refuses NUL outright. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
/** The same, but tab and line breaks are allowed (free text such as descriptions). */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_CHARACTERS_BUT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** A one-line string (names, identifiers, URIs): no control characters at all. */
export function withoutControlCharacters(schema: z.ZodString): z.ZodString {
  return schema.refine((v) => !CONTROL_CHARACTERS.test(v), 'must not contain control characters');
}

/** Free text: line breaks and tabs are fine, other control characters (NUL above all) are not. */
export function withoutBinaryCharacters(schema: z.ZodString): z.ZodString {
  return schema.refine((v) => !CONTROL_CHARACTERS_BUT_WHITESPACE.test(v), 'must not contain control characters');
}
