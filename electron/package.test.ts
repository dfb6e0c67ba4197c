/**
 * The package as a user gets it: `npm pack`, installed from the tarball into an empty directory
 * with production dependencies only (and globally), then run through its bin.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { launchChromium } from '../renderer/e2e/harness.ts';
import { startServe, stop } from './testing/serveProcess.ts';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..');
/** Installs resolve dependencies from npm's cache first: the registry is only asked for what is missing. */
const INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

describe('the npm package', () => {
  let work: string;
  let app: string;
  let tarball: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'dynamo-lens-package-'));
    // `npm test` has just built dist/ (CLI and renderer); pack exactly that, without rebuilding.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO });
    tarball = join(work, (JSON.parse(stdout) as { filename: string }[])[0].filename);
    app = join(work, 'app');
    await run('mkdir', [app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    await run('npm', ['install', '--omit=dev', ...INSTALL_FLAGS, tarball], { cwd: app });
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('installs with production dependencies only and ships the built renderer', () => {
    const installed = readdirSync(join(app, 'node_modules'));
    for (const devOnly of ['react', 'monaco-editor', 'vite', 'electron', 'typescript']) assert.ok(!installed.includes(devOnly), `${devOnly} is not installed`);
    assert.ok(existsSync(join(app, 'node_modules', 'dynamo-lens', 'dist', 'renderer', 'index.html')));
    assert.ok(!existsSync(join(app, 'node_modules', 'dynamo-lens', 'renderer')), 'renderer sources stay out of the package');
  });

  it('answers --version and --help through npx', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    assert.equal((await run('npx', ['--no-install', 'dynamo-lens', '--version'], { cwd: app })).stdout, `${version}\n`);
    const help = (await run('npx', ['--no-install', 'dynamo-lens', '--help'], { cwd: app })).stdout;
    assert.match(help, /Usage: dynamo-lens serve \[options\]/);
    assert.match(help, /--print-endpoint-json/);
  });

  it('serves the endpoint and the prebuilt UI: serve --port 0 --ui, opened in Chromium', async () => {
    const bin = join(app, 'node_modules', '.bin', 'dynamo-lens');
    const { child, info } = await startServe([bin], ['--port', '0', '--in-memory', '--ui'], app);
    try {
      assert.match(info.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info.endpoint, `http://127.0.0.1:${info.port}`);
      assert.equal(info.region, 'us-east-1');
      const client = new DynamoDBClient({ endpoint: info.endpoint, region: info.region, credentials: info.credentials });
      await client.send(
        new CreateTableCommand({
          TableName: 'FromThePackage',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      client.destroy();
      assert.ok(info.uiUrl, 'the UI URL is printed');
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const response = await page.goto(info.uiUrl!);
        assert.equal(response?.status(), 200);
        const sidebar = page.getByRole('navigation', { name: 'Connections and tables' });
        await sidebar.getByText('FromThePackage').waitFor({ timeout: 15_000 });
      } finally {
        await browser.close();
      }
    } finally {
      await stop(child);
    }
  });

  it("exports startDynamoLens with its types: a consumer's script type-checks and runs", async () => {
    const consumer = [
      "import { startDynamoLens, type DynamoLens } from 'dynamo-lens';",
      "import { ListTablesCommand } from '@aws-sdk/client-dynamodb';",
      'const lens: DynamoLens = await startDynamoLens();',
      'const client = lens.client();',
      'await lens.snapshot("empty");',
      'const { TableNames } = await client.send(new ListTablesCommand({}));',
      'await lens.restore("empty");',
      'client.destroy();',
      'await lens.close();',
      'console.log(JSON.stringify({ port: lens.port, endpoint: lens.endpoint, TableNames }));',
    ].join('\n');
    writeFileSync(join(app, 'consumer.ts'), consumer);
    writeFileSync(join(app, 'consumer.mjs'), consumer.replace(', type DynamoLens', '').replace(': DynamoLens', ''));
    // One type-check of both files: the consumer's script is clean, a wrong use is refused.
    writeFileSync(join(app, 'wrong.ts'), "import { startDynamoLens } from 'dynamo-lens';\nawait startDynamoLens({ port: 'eight' });\n");
    const tsc = join(REPO, 'node_modules', '.bin', 'tsc');
    const checked = await run(tsc, ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(REPO, 'node_modules', '@types'), 'consumer.ts', 'wrong.ts'], { cwd: app }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    assert.deepEqual(checked.trim().split('\n').filter((line) => /error TS/.test(line)).map((line) => line.replace(/\(.*/, '') + ' ' + /TS\d+/.exec(line)![0]), ['wrong.ts TS2322']);
    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: app });
    const result = JSON.parse(stdout) as { port: number; endpoint: string; TableNames: string[] };
    assert.ok(result.port > 0);
    assert.deepEqual(result.TableNames, []);
  });

  it('installs globally and runs from the global bin directory', async () => {
    const prefix = join(work, 'global');
    await run('npm', ['install', '--global', '--prefix', prefix, ...INSTALL_FLAGS, tarball]);
    const { stdout } = await run(join(prefix, 'bin', 'dynamo-lens'), ['--version']);
    assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
  });

  describe("README's recipes, run against the installed package", () => {
    const EXAMPLES = join(REPO, 'examples');
    const hasPytest = spawnSync('python3', ['-c', 'import pytest, boto3'], { stdio: 'ignore' }).status === 0;

    /** Processes whose working directory is `dir` (read from Linux's /proc; none found elsewhere). */
    const processesIn = (dir: string): number[] =>
      existsSync('/proc')
        ? readdirSync('/proc')
            .filter((entry) => /^\d+$/.test(entry))
            .filter((pid) => {
              try {
                return readlinkSync(join('/proc', pid, 'cwd')) === dir;
              } catch {
                return false; // gone meanwhile, or another user's
              }
            })
            .map(Number)
        : [];

    /** A project directory with one recipe's files and the shared fixtures, inside the app. */
    const project = (recipe: string) => {
      const dir = join(app, recipe);
      if (existsSync(join(EXAMPLES, recipe))) cpSync(join(EXAMPLES, recipe), dir, { recursive: true });
      cpSync(join(EXAMPLES, 'fixtures'), dir, { recursive: true });
      return dir;
    };

    it('shows each example file in README exactly as it is run here', () => {
      const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('## Use it in your tests'));
      const blocks = [...section.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]);
      for (const file of ['node-test/users.test.mjs', 'vitest/vitest.config.mjs', 'vitest/globalSetup.mjs', 'vitest/users.test.mjs', 'jest/jest.config.mjs', 'jest/globalSetup.mjs', 'jest/globalTeardown.mjs', 'jest/users.test.mjs', 'pytest/conftest.py', 'pytest/test_users.py', 'github-actions.yml', 'fixtures/template.yaml', 'fixtures/seed.json']) {
        assert.ok(blocks.includes(readFileSync(join(EXAMPLES, file), 'utf8')), `README shows examples/${file}`);
      }
    });

    it('node:test: startDynamoLens with a restore before each test', async () => {
      await run(process.execPath, ['--test', 'users.test.mjs'], { cwd: project('node-test') });
    });

    it('Vitest and Jest: globalSetup plus a restore per test from the workers', async (t) => {
      try {
        await run('npm', ['install', '--no-save', ...INSTALL_FLAGS, 'vitest@4', 'jest@30'], { cwd: app });
      } catch (error) {
        t.skip(`vitest and jest could not be installed (no registry or cache?): ${(error as Error).message.split('\n')[0]}`);
        return;
      }
      await run(join(app, 'node_modules', '.bin', 'vitest'), ['run'], { cwd: project('vitest') });
      await run(join(app, 'node_modules', '.bin', 'jest'), [], { cwd: project('jest'), env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules --no-warnings' } });
    });

    it('pytest: a session fixture starts npx dynamo-lens serve --port 0, reads its port, and ends it', { skip: hasPytest ? false : 'python3 with pytest and boto3 is not installed' }, async () => {
      const dir = project('pytest');
      await run('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: dir });
      // The server runs in the project's directory: none may outlive the session (terminating npx
      // alone had left one running after every run).
      for (let waited = 0; processesIn(dir).length > 0 && waited < 5000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(processesIn(dir), [], 'no process of the session is left running');
    });

    it('GitHub Actions: the step puts DYNAMO_LENS_PORT into $GITHUB_ENV', async () => {
      const steps = parseYaml(readFileSync(join(EXAMPLES, 'github-actions.yml'), 'utf8')) as { name?: string; run: string }[];
      const step = steps.find((s) => s.name === 'Start Dynamo Lens')!;
      const dir = project('actions');
      const githubEnv = join(dir, 'github.env');
      writeFileSync(githubEnv, '');
      // The step leaves the server running in the background, as a CI job does until it ends.
      const shell = spawn('bash', ['-e', '-c', step.run], { cwd: dir, env: { ...process.env, GITHUB_ENV: githubEnv }, stdio: 'inherit', detached: true });
      try {
        const [code] = (await once(shell, 'exit')) as [number];
        assert.equal(code, 0);
        const port = /^DYNAMO_LENS_PORT=(\d+)$/m.exec(readFileSync(githubEnv, 'utf8'))?.[1];
        assert.ok(port, 'the port is in $GITHUB_ENV');
        const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
        const { Item } = await client.send(new GetItemCommand({ TableName: 'local-users', Key: { id: { S: 'u2' } } }));
        client.destroy();
        assert.equal(Item?.name.S, 'Grace');
      } finally {
        // The background server is in the shell's process group.
        try {
          process.kill(-shell.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    });
  });
});