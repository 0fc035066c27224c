import { Module } from '@nestjs/common';
import { AuthorizationCodeGrant } from './authorization-code.grant.js';

@Module({ providers: [AuthorizationCodeGrant], exports: [AuthorizationCodeGrant] })
export class AuthorizationCodeModule {}
