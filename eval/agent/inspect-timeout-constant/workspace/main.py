from net import config

print(config.HOST, config.PORT)
