// Types of tools/admin-api-reference.mjs for the TypeScript code that imports it (its spec).
export declare const ADMIN_API_REFERENCE_PATH: string;
export declare function renderAdminApiReference(document: object): string;
