// Builds the Outlook add-in taskpane (addin/) into dist/addin. The server is not bundled:
// Node 24 runs its erasable TypeScript directly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';

const root = path.dirname(fileURLToPath(import.meta.url));

/** @type {(env: unknown, argv: { mode?: string }) => import('webpack').Configuration} */
export default (_env, argv) => {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    entry: { taskpane: './addin/index.tsx' },
    output: {
      path: path.join(root, 'dist', 'addin'),
      // Always write, so taskpane.html's date says the bundle is as new as its sources (the
      // browser tests compare them to decide whether to build).
      compareBeforeEmit: false,
      filename: production ? '[name].[contenthash:8].js' : '[name].js',
      chunkFilename: production ? '[name].[contenthash:8].js' : '[name].js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      // Imports carry their `.ts`/`.tsx` extension (Node's erasable TypeScript style).
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          loader: 'ts-loader',
          options: {
            // Type checking is `npx tsc --noEmit`; here TypeScript only strips types.
            transpileOnly: true,
            compilerOptions: {
              noEmit: false,
              allowImportingTsExtensions: false,
              module: 'esnext',
              moduleResolution: 'bundler',
              jsx: 'react-jsx',
              sourceMap: true,
            },
          },
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({ template: './addin/taskpane.html', filename: 'taskpane.html', chunks: ['taskpane'] }),
    ],
    devtool: 'source-map',
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
