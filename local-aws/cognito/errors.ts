/** An error answered with Cognito's JSON 1.1 error shape and its real `__type` name. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const notAuthorized = (message = 'Incorrect username or password.') =>
  new AwsJsonError('NotAuthorizedException', message);
export const invalidParameter = (message: string) =>
  new AwsJsonError('InvalidParameterException', message);
export const resourceNotFound = (message: string) =>
  new AwsJsonError('ResourceNotFoundException', message);
