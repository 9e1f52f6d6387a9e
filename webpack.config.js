// Builds the Outlook add-in taskpane (addin/) into dist/addin. The server is not bundled:
// Node 24 runs its erasable TypeScript directly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

export default {
  entry: { taskpane: './addin/index.ts' },
  output: { path: path.join(root, 'dist', 'addin'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.tsx', '.js'] },
  module: { rules: [] },
  devtool: 'source-map',
};
