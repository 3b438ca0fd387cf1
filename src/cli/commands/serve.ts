import type { ServeFlags } from '../actions/serve.ts';
import type { RegisterCommand } from '../shared.ts';

export const registerServe: RegisterCommand = (program, setExit) => {
  program
    .command('serve')
    .description('Present a built site: static server plus screen sync (audience screens follow the presenter)')
    .argument('[dir]', 'built site folder (labdeck build --out)', 'dist')
    .option('--host <address>', 'address to listen on; anything but loopback needs an audience token', '127.0.0.1')
    .option('-p, --port <port>', 'port', '8080')
    .option('--token <token>', 'secret of the presenter: drives every screen (generated when not given)')
    .option('--audience-token <token>', 'secret of the audience: opens the pages and follows (generated off loopback; none on loopback unless given)')
    .option('--allow-host <name>', 'a host name the server may be reached by besides its addresses (repeatable)', (name: string, all: string[] = []) => [...all, name])
    .action(async (dir: string, opts: ServeFlags) => (await import('../actions/serve.ts')).serve(dir, opts, setExit));
};
