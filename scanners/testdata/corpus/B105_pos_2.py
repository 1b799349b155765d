class Config:
    SECRET = 'abc123'
