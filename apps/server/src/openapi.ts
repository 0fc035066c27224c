import { RequestMethod, type INestApplication } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ADMIN_CONTROLLERS, AdminModule } from './admin/admin.module.js';
import { jsonSchemaOf } from './admin/openapi-schema.js';
import { ZodValidationPipe } from './admin/zod-validation.pipe.js';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/index.js';
import { createLogger } from './http/logger.js';
import { ShutdownDrain } from './operations/shutdown-drain.js';

export const ADMIN_OPENAPI_PATH = 'admin/api/docs';

/** The admin API's OpenAPI document, generated from the controllers and their zod schemas. */
export function buildAdminOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tessera admin API')
    .setDescription(
      'Manage tenants, clients, scopes, users, consents, tokens, signing keys, members and the audit log. Bearer ' +
        'access tokens of tenant `admin`: scope `platform:admin` (platform admins, the bootstrap client) may do ' +
        'everything; other admin users act in the tenants where they hold a role (owner, admin, viewer). Errors are ' +
        'RFC 9457 problem+json.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config, { include: [AdminModule] });
  completeOperations(document);
  return document;
}

export function registerOpenApi(app: INestApplication): void {
  SwaggerModule.setup(ADMIN_OPENAPI_PATH, app, buildAdminOpenApiDocument(app), { jsonDocumentUrl: `${ADMIN_OPENAPI_PATH}/openapi.json` });
}

/**
 * The same document as the server serves, without PostgreSQL, Redis or a listener: Nest's preview
 * mode builds the module graph without creating any provider, which is all the document needs.
 * For tools (tools/admin-api-reference.mjs writes docs/reference/admin-api.md from it).
 */
export async function previewAdminOpenApiDocument(): Promise<OpenAPIObject> {
  const config: AppConfig = {
    port: 0,
    publicUrl: 'http://localhost',
    dataDir: '/nonexistent',
    keyEncryptionKey: Buffer.alloc(32),
    keyEncryptionKeySource: 'env',
    bootstrapAdmin: { email: 'admin@localhost' },
    nodeEnv: 'development',
    logLevel: 'silent',
    metricsTenantLabel: false,
    trustProxy: false,
    shutdownDrainSeconds: 0,
    warnings: [],
  };
  const app = await NestFactory.create(AppModule.forRoot(config, createLogger('silent'), () => undefined, new ShutdownDrain()), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  try {
    return buildAdminOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

type Operation = OpenAPIObject['paths'][string]['get'] & object;

/**
 * What @nestjs/swagger leaves out here: the success status of a route that declares its error
 * answers (@ApiProblems), and the query parameters that a ZodValidationPipe validates. Both come
 * from the routes themselves, so the document says what the server does.
 */
function completeOperations(document: OpenAPIObject): void {
  const operations = new Map<string, Operation>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      const candidate = operation as Operation;
      if (typeof candidate?.operationId === 'string') operations.set(candidate.operationId, candidate);
    }
  }
  for (const controller of ADMIN_CONTROLLERS) {
    for (const methodKey of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as unknown as Record<string, unknown>)[methodKey];
      if (typeof handler !== 'function') continue;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      // @nestjs/swagger's default operationId: `${controller class}_${method}`.
      const operation = operations.get(`${controller.name}_${methodKey}`);
      if (requestMethod === undefined || !operation) continue;
      if (!Object.keys(operation.responses).some((status) => status.startsWith('2'))) {
        const status = (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (requestMethod === RequestMethod.POST ? 201 : 200);
        operation.responses = { [status]: { description: status === 204 ? 'No content' : 'Success' }, ...operation.responses };
      }
      operation.parameters = [...(operation.parameters ?? []), ...queryParameters(controller, methodKey)];
    }
  }
}

function queryParameters(controller: object, methodKey: string): NonNullable<Operation['parameters']> {
  // Nest keeps a route's parameter decorators on the controller class, per method: `${paramtype}:${index}`.
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, methodKey) ?? {}) as Record<string, { pipes?: unknown[] }>;
  const parameters: NonNullable<Operation['parameters']> = [];
  for (const [key, arg] of Object.entries(args)) {
    if (key.split(':')[0] !== String(RouteParamtypes.QUERY)) continue;
    for (const pipe of arg.pipes ?? []) {
      if (!(pipe instanceof ZodValidationPipe) || pipe.part !== 'query') continue;
      const schema = jsonSchemaOf(pipe.schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const { description, ...rest } = property;
        parameters.push({
          name,
          in: 'query',
          required: schema.required?.includes(name) ?? false,
          ...(typeof description === 'string' && { description }),
          schema: rest,
        });
      }
    }
  }
  return parameters;
}
