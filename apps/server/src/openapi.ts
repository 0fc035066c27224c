import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AdminModule } from './admin/admin.module.js';

/** The admin API's OpenAPI document, generated from the controllers and their zod schemas. */
export function registerOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Tessera admin API')
    .setDescription(
      'Manage tenants, clients, scopes, users, signing keys and tokens. Bearer access tokens of tenant `admin` ' +
        'with scope `platform:admin`. Errors are RFC 9457 problem+json.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config, { include: [AdminModule] });
  SwaggerModule.setup('admin/api/docs', app, document, { jsonDocumentUrl: 'admin/api/docs/openapi.json' });
}
