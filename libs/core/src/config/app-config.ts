import { CONFIG_VARIABLES, type ConfigValues, type ConfigVariableName } from './config.definition.js';

export class ConfigValidationError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable}: ${reason}`);
  }
}

/**
 * The validated configuration, injected wherever a setting is needed. Built once at start
 * from the environment; a bad value stops the process before anything listens.
 */
export class AppConfig {
  readonly values: Readonly<ConfigValues>;

  private constructor(values: ConfigValues) {
    this.values = Object.freeze(values);
  }

  static fromEnvironment(
    env: NodeJS.ProcessEnv = process.env,
    overrides: Partial<ConfigValues> = {},
  ): AppConfig {
    const values: Record<string, unknown> = {};
    const production = (env.NODE_ENV ?? 'development') === 'production';
    for (const [name, spec] of Object.entries(CONFIG_VARIABLES) as [
      ConfigVariableName,
      (typeof CONFIG_VARIABLES)[ConfigVariableName],
    ][]) {
      const given = env[name];
      const raw = given !== undefined && given !== '' ? given : (spec as { default?: string }).default;
      if (raw === undefined) {
        if (production && (spec as { requiredInProduction?: boolean }).requiredInProduction) {
          throw new ConfigValidationError(name, 'must be set when NODE_ENV=production');
        }
        values[name] = undefined;
        continue;
      }
      try {
        values[name] = spec.parse(raw);
      } catch (error) {
        throw new ConfigValidationError(name, (error as Error).message);
      }
    }
    const config = { ...(values as ConfigValues), ...overrides };
    if (config.PASSWORD_MIN_LENGTH > config.PASSWORD_MAX_LENGTH) {
      throw new ConfigValidationError('PASSWORD_MIN_LENGTH', 'must not exceed PASSWORD_MAX_LENGTH');
    }
    return new AppConfig(config);
  }

  get<K extends ConfigVariableName>(name: K): ConfigValues[K] {
    return this.values[name];
  }

  get isProduction(): boolean {
    return this.values.NODE_ENV === 'production';
  }

  /** The issuer without a trailing slash; defaults to http://localhost:PORT. */
  get issuer(): string {
    return (this.values.ISSUER_URL ?? `http://localhost:${this.values.PORT}`).replace(/\/+$/, '');
  }

  /** The resource indicator (audience) of the tokens our own API accepts. */
  get apiAudience(): string {
    return `${this.issuer}/api`;
  }
}
