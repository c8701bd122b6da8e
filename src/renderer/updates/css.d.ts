// Vite bundles a stylesheet imported for its side effect into the app's CSS.
declare module '*.css';
