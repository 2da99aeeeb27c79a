/// <reference types="vite/client" />

/** The lab's version (package.json, or GROK_LAB_VERSION at build time): see vite.config.ts. */
declare const __GROK_LAB_VERSION__: string;
