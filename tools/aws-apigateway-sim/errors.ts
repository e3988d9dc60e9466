/**
 * API Gateway's errors as the SDK reads them (rest-json): the status code, an `x-amzn-ErrorType` header
 * naming the exception (the SDK keeps the part before `:`), and a body `{"message": "..."}`. The status of
 * each exception is the service model's `httpError` (apigateway 2015-07-09: BadRequestException 400,
 * UnauthorizedException 401, NotFoundException 404, ConflictException 409, LimitExceededException 429,
 * TooManyRequestsException 429 with `Retry-After`, ServiceUnavailableException 503); the errors every AWS
 * service shares (AccessDeniedException, ExpiredTokenException, IncompleteSignature,
 * MissingAuthenticationTokenException: 403) come from AWS's "Common Errors" reference.
 */

export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new AwsError(404, 'NotFoundException', message);
export const conflict = (message: string) => new AwsError(409, 'ConflictException', message);
export const badRequest = (message: string) => new AwsError(400, 'BadRequestException', message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AwsError(429, 'TooManyRequestsException', 'Too Many Requests', {
    'Retry-After': String(retryAfterSeconds),
  });
export const limitExceeded = (message: string) => new AwsError(429, 'LimitExceededException', message);
export const unauthorized = (message: string) => new AwsError(401, 'UnauthorizedException', message);
export const serviceUnavailable = () =>
  new AwsError(503, 'ServiceUnavailableException', 'Service Unavailable. Please try again later.');
