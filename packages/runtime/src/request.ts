// What a call sends: the URL (path and query parameters), the headers and the body, built the way
// openapi-fetch builds them (same styles, same encoding, same defaults), without a Request object
// unless something needs one. openapi-fetch's own serializers come with its whole client; these
// are the few lines the default path needs.

type Style = string | undefined;
interface ParamStyle {
  style?: Style;
  explode?: boolean;
}
/** openapi-fetch's querySerializer options. */
export interface QueryStyle {
  array?: ParamStyle;
  object?: ParamStyle;
  allowReserved?: boolean;
}
export type QuerySerializer = (query: Record<string, unknown>) => string;
/** Headers as a plain object with lower-case names: what a call sends. */
export type HeaderRecord = Record<string, string>;

const PATH_PARAM = /\{([.;]?)([^{}*]+)(\*?)\}/g;
const SEPARATOR: Record<string, string> = { simple: ",", label: ".", matrix: ";" };

const encode = (value: unknown, reserved: boolean | undefined) => (reserved ? String(value) : encodeURIComponent(value as string));

function primitive(name: string, value: unknown, reserved?: boolean): string {
  if (value == null) return "";
  if (typeof value === "object") throw new Error("Deeply-nested arrays/objects aren’t supported. Provide your own `querySerializer()` to handle these.");
  return `${name}=${encode(value, reserved)}`;
}

/** One array or object parameter in an OpenAPI style (form, deepObject, simple, label, matrix, ...). */
function structured(name: string, value: object, style: Style, explode: boolean | undefined, reserved?: boolean): string {
  const isArray = Array.isArray(value);
  const joiner = SEPARATOR[style!] ?? "&";
  const prefixed = (text: string) => (style === "label" || style === "matrix" ? joiner + text : text);
  if (explode === false && (isArray || style !== "deepObject")) {
    const parts = isArray ? value.map((v) => encode(v, reserved)) : Object.entries(value).flatMap(([k, v]) => [k, encode(v, reserved)]);
    const joined = parts.join(isArray && style === "spaceDelimited" ? "%20" : isArray && style === "pipeDelimited" ? "|" : ",");
    if (style === "label") return `.${joined}`;
    if (style === "matrix") return `;${name}=${joined}`;
    return style === "simple" || (!isArray && style !== "form") ? joined : `${name}=${joined}`;
  }
  const parts = isArray
    ? value.map((v) => (style === "simple" || style === "label" ? encode(v, reserved) : primitive(name, v, reserved)))
    : Object.entries(value).map(([k, v]) => primitive(style === "deepObject" ? `${name}[${k}]` : k, v, reserved));
  return prefixed(parts.join(joiner));
}

/** openapi-fetch's query serializer: arrays as form/explode, objects as deepObject, unless told otherwise. */
export function querySerializer(options: QueryStyle = {}): QuerySerializer {
  return (query) => {
    const search: string[] = [];
    for (const name in query) {
      const value = query[name];
      if (value == null || (Array.isArray(value) && value.length === 0)) continue;
      if (typeof value !== "object") search.push(primitive(name, value, options.allowReserved));
      else {
        const style = Array.isArray(value) ? { style: "form", explode: true, ...options.array } : { style: "deepObject", explode: true, ...options.object };
        search.push(structured(name, value, style.style, style.explode, options.allowReserved));
      }
    }
    return search.join("&");
  };
}

export const defaultQuery = querySerializer();

/** Path parameters in simple style; `{.name}` label, `{;name}` matrix, `{name*}` explode, as openapi-fetch reads them. */
export function fillPath(path: string, values: Record<string, unknown>): string {
  return path.replace(PATH_PARAM, (match, prefix: string, name: string, star: string) => {
    const value = values[name];
    if (value == null) return match;
    const style = prefix === "." ? "label" : prefix === ";" ? "matrix" : "simple";
    if (typeof value === "object") return structured(name, value, style, !!star);
    if (style === "matrix") return `;${primitive(name, value)}`;
    return (style === "label" ? "." : "") + encodeURIComponent(value as string);
  });
}

export function buildUrl(
  base: string,
  path: string,
  params: { path?: Record<string, unknown>; query?: Record<string, unknown> } | undefined,
  serialize: QuerySerializer,
  pathSerializer: (url: string, values: Record<string, unknown>) => string = fillPath,
): string {
  let url = base + path;
  if (params?.path) url = pathSerializer(url, params.path);
  if (params?.query) {
    let search = serialize(params.query);
    if (search.startsWith("?")) search = search.slice(1);
    if (search) url += `?${search}`;
  }
  return url;
}

/** Merges header sets into one with lower-case names, as Headers would: null removes, arrays append. */
export function mergeHeaders(into: HeaderRecord, from: unknown): HeaderRecord {
  if (!from || typeof from !== "object") return into;
  const entries = from instanceof Headers ? from.entries() : Object.entries(from as Record<string, unknown>);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    if (value === null) delete into[key];
    else if (Array.isArray(value)) for (const v of value) into[key] = into[key] === undefined ? String(v) : `${into[key]}, ${v}`;
    else if (value !== undefined) into[key] = String(value);
  }
  return into;
}

/** openapi-fetch's default body serializer: FormData as is, form-encoded when the content type says so, else JSON. */
export function serializeBody(body: unknown, headers: HeaderRecord): BodyInit {
  if (body instanceof FormData) return body;
  if (headers["content-type"] === "application/x-www-form-urlencoded") return new URLSearchParams(body as Record<string, string>).toString();
  return JSON.stringify(body);
}
