import { Module } from '@nestjs/common';
import { PasswordGrant } from './password.grant.js';

@Module({ providers: [PasswordGrant], exports: [PasswordGrant] })
export class PasswordModule {}
