/** Stylesheets imported by components (Vite bundles them into the app's CSS file). */
declare module '*.css';
