/**
 * Preloaded (`node --import`) into every server the bench spawns. The bench holds an IPC
 * channel to each child; when the bench dies, even by SIGKILL where no cleanup code runs, the
 * channel closes and the child stops itself the way an operator would stop it (SIGTERM), so
 * no server outlives its run.
 */
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
