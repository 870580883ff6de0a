export { AuthModule } from './auth.module.js';
export { AuthGuard } from './auth.guard.js';
export { AuthService } from './auth.service.js';
export {
  type AuthContext,
  type ClientAuthContext,
  type ScopedCaller,
  callerActor,
  callerIsUser,
} from './auth-context.js';
export {
  AllowDuringPasswordChange,
  Auth,
  Authenticated,
  Public,
  RequireScopes,
  BEARER_SCHEME,
} from './auth.decorators.js';
export { AuthErrorCode, AuthErrors } from './auth.errors.js';
export { AddressDto, UpdateProfileDto } from './dto/profile.dto.js';
export { toUserResponse } from './dto/user-response.dto.js';
