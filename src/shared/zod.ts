/**
 * Configures zod for the whole project; import it (for its effect) before defining schemas.
 * Without JIT: zod's JIT compiles validators with `new Function` and probes `navigator` first,
 * which VS Code's extension host reports as an error; interpreted validators are fast enough
 * for our message sizes.
 */
import { config } from 'zod/mini';

config({ jitless: true });
