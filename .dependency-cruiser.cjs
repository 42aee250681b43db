// Import cycles are errors (npm run lint → depcruise). A cycle makes load order decide what a module
// sees (an import still undefined while its own module is loading) and ties rooms that should be
// apart. Type-only imports count too: a type cycle is the same tangle of rooms, only without the
// runtime failure, and is broken the same way (move the shared type to the lower module).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycle: move what both sides need into a module neither imports.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
