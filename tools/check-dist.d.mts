// Types of tools/check-dist.mjs for the TypeScript code that imports it (its spec).
export declare function distProblems(
  distDir: string,
  pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> },
): Promise<{ problems: string[]; checked: number }>;
